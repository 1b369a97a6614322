output "vm" {
  description = "VMID, node and addresses of the VM."
  value       = { vmid = module.vm.vmid, node = module.vm.node, addresses = module.vm.addresses }
}

output "ct" {
  description = "CTID, node and addresses of the container."
  value       = { vmid = module.ct.vmid, node = module.ct.node, addresses = module.ct.addresses }
}
