resource "proxmox_virtual_environment_container" "this" {
  node_name     = var.node_name
  vm_id         = var.vm_id
  description   = var.description
  pool_id       = var.pool_id
  tags          = sort(distinct(var.tags))
  unprivileged  = var.unprivileged
  started       = var.started
  start_on_boot = var.start_on_boot

  operating_system {
    template_file_id = var.template_file_id
    type             = var.os_type
  }

  cpu {
    cores = var.cores
  }

  memory {
    dedicated = var.memory.dedicated
    swap      = var.memory.swap
  }

  disk {
    datastore_id = var.disk.datastore_id
    size         = var.disk.size
  }

  dynamic "network_interface" {
    for_each = var.network_interfaces
    content {
      name     = coalesce(network_interface.value.name, "eth${network_interface.key}")
      bridge   = network_interface.value.bridge
      vlan_id  = network_interface.value.vlan_id
      firewall = network_interface.value.firewall
      mtu      = network_interface.value.mtu
    }
  }

  initialization {
    hostname = var.hostname

    dynamic "dns" {
      for_each = length(var.initialization.dns_servers) > 0 || var.initialization.dns_domain != null ? [1] : []
      content {
        servers = var.initialization.dns_servers
        domain  = var.initialization.dns_domain
      }
    }

    dynamic "ip_config" {
      for_each = var.initialization.ipv4
      content {
        ipv4 {
          address = ip_config.value.address
          gateway = ip_config.value.gateway
        }
      }
    }

    user_account {
      keys     = var.initialization.ssh_keys
      password = var.initialization.password
    }
  }

  features {
    nesting = var.nesting
  }

  lifecycle {
    # The root password is only used at creation; Proxmox never returns it.
    ignore_changes = [initialization[0].user_account[0].password]
  }
}
