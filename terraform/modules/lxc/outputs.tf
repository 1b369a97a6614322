output "vmid" {
  description = "The CTID Proxmox assigned."
  value       = proxmox_virtual_environment_container.this.vm_id
}

output "node" {
  description = "The node the container runs on."
  value       = proxmox_virtual_environment_container.this.node_name
}

output "name" {
  description = "The container hostname."
  value       = var.hostname
}

output "addresses" {
  description = "Addresses per interface as Proxmox reports them; static ones from the configuration when it reports none."
  value = {
    ipv4 = distinct(concat(
      [for a in values(proxmox_virtual_environment_container.this.ipv4) : a if a != "dhcp" && !startswith(a, "127.")],
      [for ip in var.initialization.ipv4 : split("/", ip.address)[0] if ip.address != "dhcp"],
    ))
    ipv6 = [for a in values(proxmox_virtual_environment_container.this.ipv6) : a if a != "::1" && !startswith(lower(a), "fe80:")]
  }
}
