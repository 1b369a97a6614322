locals {
  subnets = merge([
    for vnet_id, vnet in var.vnets : {
      for cidr, subnet in vnet.subnets : "${vnet_id}/${cidr}" => merge(subnet, { vnet = vnet_id, cidr = cidr })
    }
  ]...)
}

resource "proxmox_virtual_environment_sdn_zone_simple" "this" {
  id    = var.zone_id
  nodes = length(var.nodes) > 0 ? var.nodes : null
  mtu   = var.mtu
  ipam  = var.ipam
  dhcp  = var.dhcp
}

resource "proxmox_virtual_environment_sdn_vnet" "this" {
  for_each = var.vnets

  id            = each.key
  zone          = proxmox_virtual_environment_sdn_zone_simple.this.id
  alias         = each.value.alias
  isolate_ports = each.value.isolate_ports
}

resource "proxmox_virtual_environment_sdn_subnet" "this" {
  for_each = local.subnets

  vnet            = proxmox_virtual_environment_sdn_vnet.this[each.value.vnet].id
  cidr            = each.value.cidr
  gateway         = each.value.gateway
  snat            = each.value.snat
  dhcp_dns_server = each.value.dhcp_dns_server
  dhcp_range      = each.value.dhcp_range
}

# SDN changes are pending until applied cluster-wide; one applier after everything else.
resource "proxmox_virtual_environment_sdn_applier" "this" {
  depends_on = [
    proxmox_virtual_environment_sdn_zone_simple.this,
    proxmox_virtual_environment_sdn_vnet.this,
    proxmox_virtual_environment_sdn_subnet.this,
  ]
}
