locals {
  # GPU passthrough VMs cannot migrate and need q35 for PCIe.
  machine = length(var.hostpci) > 0 && var.machine == "pc" ? "q35" : var.machine
}

resource "proxmox_virtual_environment_vm" "this" {
  node_name   = var.node_name
  vm_id       = var.vm_id
  name        = var.name
  description = var.description
  pool_id     = var.pool_id
  tags        = sort(distinct(var.tags))

  started = var.started
  on_boot = var.on_boot
  bios    = var.bios
  machine = local.machine

  # Stop (not shut down) on destroy: a guest that ignores ACPI must not block deletion.
  stop_on_destroy = true

  clone {
    vm_id        = var.clone.vm_id
    node_name    = var.clone.node_name
    datastore_id = var.clone.datastore_id
    full         = var.clone.full
  }

  cpu {
    cores   = var.cpu.cores
    sockets = var.cpu.sockets
    type    = var.cpu.type
  }

  memory {
    dedicated = var.memory.dedicated
    floating  = var.memory.floating
  }

  disk {
    datastore_id = var.disk.datastore_id
    interface    = var.disk.interface
    size         = var.disk.size
    discard      = var.disk.discard
    ssd          = var.disk.ssd
    iothread     = var.disk.iothread
    cache        = var.disk.cache
  }

  dynamic "efi_disk" {
    for_each = var.efi_disk == null ? [] : [var.efi_disk]
    content {
      datastore_id      = efi_disk.value.datastore_id
      type              = efi_disk.value.type
      pre_enrolled_keys = efi_disk.value.pre_enrolled_keys
    }
  }

  dynamic "tpm_state" {
    for_each = var.tpm_state == null ? [] : [var.tpm_state]
    content {
      datastore_id = tpm_state.value.datastore_id
      version      = tpm_state.value.version
    }
  }

  dynamic "network_device" {
    for_each = var.network_devices
    content {
      bridge      = network_device.value.bridge
      model       = network_device.value.model
      vlan_id     = network_device.value.vlan_id
      firewall    = network_device.value.firewall
      mac_address = network_device.value.mac_address
      mtu         = network_device.value.mtu
    }
  }

  initialization {
    datastore_id = var.cloud_init.datastore_id
    interface    = var.cloud_init.interface

    dynamic "dns" {
      for_each = length(var.cloud_init.dns_servers) > 0 || var.cloud_init.dns_domain != null ? [1] : []
      content {
        servers = var.cloud_init.dns_servers
        domain  = var.cloud_init.dns_domain
      }
    }

    dynamic "ip_config" {
      for_each = var.cloud_init.ipv4
      content {
        ipv4 {
          address = ip_config.value.address
          gateway = ip_config.value.gateway
        }
      }
    }

    user_account {
      username = var.cloud_init.username
      keys     = var.cloud_init.ssh_keys
      password = var.cloud_init.password
    }
  }

  dynamic "hostpci" {
    for_each = var.hostpci
    content {
      device  = hostpci.value.device
      mapping = hostpci.value.mapping
      id      = hostpci.value.id
      pcie    = hostpci.value.pcie
      xvga    = hostpci.value.xvga
      rombar  = hostpci.value.rombar
    }
  }

  vga {
    type   = var.vga.type
    memory = var.vga.memory
  }

  operating_system {
    type = var.os_type
  }

  agent {
    enabled = var.agent_enabled
    trim    = true

    wait_for_ip {
      disabled = !var.wait_for_ip
    }
  }

  lifecycle {
    # Proxmox returns the cloud-init password hashed, so it would show as a change on every plan.
    ignore_changes = [initialization[0].user_account[0].password]
  }
}
