output "vmid" {
  description = "The VMID Proxmox assigned."
  value       = proxmox_virtual_environment_vm.this.vm_id
}

output "node" {
  description = "The node the VM runs on."
  value       = proxmox_virtual_environment_vm.this.node_name
}

output "name" {
  description = "The VM name."
  value       = proxmox_virtual_environment_vm.this.name
}

output "mac_addresses" {
  description = "MAC addresses, one per network device."
  value       = proxmox_virtual_environment_vm.this.mac_addresses
}

output "addresses" {
  description = "Guest addresses reported by the QEMU agent, loopback and link-local removed (empty without the agent)."
  value = {
    ipv4 = [for a in flatten(proxmox_virtual_environment_vm.this.ipv4_addresses) : a if !startswith(a, "127.")]
    ipv6 = [for a in flatten(proxmox_virtual_environment_vm.this.ipv6_addresses) : a if a != "::1" && !startswith(lower(a), "fe80:")]
  }
}
