output "zone_id" {
  description = "The SDN zone id."
  value       = proxmox_virtual_environment_sdn_zone_simple.this.id
}

output "bridges" {
  description = "VNet ids; each is the bridge name to give a VM's network_device or a container's network_interface."
  value       = [for v in proxmox_virtual_environment_sdn_vnet.this : v.id]
}

output "subnets" {
  description = "Subnet ids keyed by \"<vnet>/<cidr>\"."
  value       = { for k, s in proxmox_virtual_environment_sdn_subnet.this : k => s.id }
}
