variable "node_name" {
  description = "Proxmox node that runs the VM."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$", var.node_name))
    error_message = "node_name must be a Proxmox node name (letters, digits, dashes)."
  }
}

variable "vm_id" {
  description = "VMID; null lets Proxmox pick the next free one."
  type        = number
  default     = null

  validation {
    # Terraform evaluates both sides of ||, so null is handled with a conditional.
    condition     = var.vm_id == null ? true : var.vm_id >= 100 && var.vm_id <= 999999999
    error_message = "vm_id must be between 100 and 999999999."
  }
}

variable "name" {
  description = "VM name, also the cloud-init hostname (DNS label)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.name))
    error_message = "name must be a lowercase DNS label (a-z, 0-9, dash; at most 63 characters)."
  }
}

variable "description" {
  description = "Free text shown in the Proxmox UI."
  type        = string
  default     = "Managed by pvepaas"
}

variable "pool_id" {
  description = "Resource pool the VM joins (one per tenant), or null."
  type        = string
  default     = null
}

variable "tags" {
  description = "Proxmox tags. Proxmox sorts them, so they are sorted here too to avoid perpetual diffs."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for t in var.tags : can(regex("^[a-z0-9_][a-z0-9_+.-]*$", t))])
    error_message = "tags must be lowercase and contain only a-z, 0-9, _, +, . and -."
  }
}

variable "clone" {
  description = "Template to clone: its VMID, its node (null = same node), target datastore and full/linked."
  type = object({
    vm_id        = number
    node_name    = optional(string)
    datastore_id = optional(string)
    full         = optional(bool, true)
  })

  validation {
    condition     = var.clone.vm_id >= 100
    error_message = "clone.vm_id must be the VMID of an existing template (>= 100)."
  }
}

variable "cpu" {
  description = "vCPU layout. type x86-64-v2-AES is portable across nodes; host is fastest but pins to the CPU model."
  type = object({
    cores   = number
    sockets = optional(number, 1)
    type    = optional(string, "x86-64-v2-AES")
  })

  validation {
    condition     = var.cpu.cores >= 1 && var.cpu.cores <= 128 && var.cpu.sockets >= 1 && var.cpu.sockets <= 4
    error_message = "cpu.cores must be 1..128 and cpu.sockets 1..4."
  }
}

variable "memory" {
  description = "Memory in MiB. floating = 0 disables ballooning; floating = dedicated enables it."
  type = object({
    dedicated = number
    floating  = optional(number, 0)
  })

  validation {
    condition     = var.memory.dedicated >= 512 && var.memory.floating <= var.memory.dedicated
    error_message = "memory.dedicated must be at least 512 MiB and memory.floating at most memory.dedicated."
  }
}

variable "disk" {
  description = "Boot disk inherited from the template, resized to size (GiB). Other attributes are restated so schema defaults do not override the template's."
  type = object({
    datastore_id = string
    size         = number
    interface    = optional(string, "scsi0")
    discard      = optional(string, "on")
    ssd          = optional(bool, true)
    iothread     = optional(bool, true)
    cache        = optional(string, "none")
  })

  validation {
    condition     = var.disk.size >= 1 && can(regex("^(scsi|virtio|sata|ide)[0-9]+$", var.disk.interface))
    error_message = "disk.size must be at least 1 GiB and disk.interface look like scsi0, virtio0, sata0 or ide0."
  }
}

variable "network_devices" {
  description = "NICs in order (net0, net1, ...). Each one gets the ip_config at the same index."
  type = list(object({
    bridge      = string
    model       = optional(string, "virtio")
    vlan_id     = optional(number)
    firewall    = optional(bool, true)
    mac_address = optional(string)
    mtu         = optional(number)
  }))

  validation {
    condition     = length(var.network_devices) >= 1 && length(var.network_devices) <= 32
    error_message = "Give between 1 and 32 network devices."
  }

  validation {
    condition     = alltrue([for n in var.network_devices : contains(["virtio", "e1000", "e1000e", "rtl8139", "vmxnet3"], n.model)])
    error_message = "network_devices[*].model must be one of virtio, e1000, e1000e, rtl8139, vmxnet3."
  }
}

variable "cloud_init" {
  description = "Cloud-init drive: user account, SSH keys, one ip_config per NIC (\"dhcp\" or CIDR + gateway), DNS."
  type = object({
    datastore_id = optional(string, "local-lvm")
    interface    = optional(string)
    username     = string
    ssh_keys     = optional(list(string), [])
    password     = optional(string)
    dns_servers  = optional(list(string), [])
    dns_domain   = optional(string)
    ipv4 = optional(list(object({
      address = string
      gateway = optional(string)
    })), [])
  })

  validation {
    # Linux user names are lowercase by convention; Windows (cloudbase-init) uses Administrator.
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_.-]{0,31}$", var.cloud_init.username))
    error_message = "cloud_init.username must be a user name: letters, digits, _, . or -, at most 32 characters."
  }

  validation {
    condition     = alltrue([for ip in var.cloud_init.ipv4 : ip.address == "dhcp" || can(cidrhost(ip.address, 0))])
    error_message = "cloud_init.ipv4[*].address must be \"dhcp\" or an address in CIDR notation (10.0.0.10/24)."
  }

  validation {
    condition     = length(var.cloud_init.ssh_keys) > 0 || var.cloud_init.password != null
    error_message = "cloud_init needs at least one SSH key or a password, or nobody can log in."
  }
}

variable "os_type" {
  description = "Guest OS type: l26 for Linux, win11/win10/win2k22 for Windows."
  type        = string
  default     = "l26"

  validation {
    condition     = contains(["l26", "l24", "win11", "win10", "win2k22", "win2k19", "win8", "win7", "other"], var.os_type)
    error_message = "os_type must be one of l26, l24, win11, win10, win2k22, win2k19, win8, win7, other."
  }
}

variable "bios" {
  description = "seabios (default) or ovmf (UEFI; needs efi_disk, required for Windows 11 and most GPU passthrough)."
  type        = string
  default     = "seabios"

  validation {
    condition     = contains(["seabios", "ovmf"], var.bios)
    error_message = "bios must be seabios or ovmf."
  }
}

variable "machine" {
  description = "QEMU machine type: pc (i440fx) or q35 (needed for PCIe passthrough)."
  type        = string
  default     = "pc"

  validation {
    condition     = can(regex("^(pc|q35)(-.*)?$", var.machine))
    error_message = "machine must be pc or q35 (optionally versioned, e.g. pc-q35-9.0)."
  }
}

variable "efi_disk" {
  description = "EFI vars disk for bios = ovmf. type 4m is required for Secure Boot."
  type = object({
    datastore_id      = string
    type              = optional(string, "4m")
    pre_enrolled_keys = optional(bool, true)
  })
  default = null
}

variable "tpm_state" {
  description = "TPM 2.0 state disk (Windows 11)."
  type = object({
    datastore_id = string
    version      = optional(string, "v2.0")
  })
  default = null
}

variable "hostpci" {
  description = "PCI passthrough. Use mapping (a Datacenter resource mapping) so an API token suffices; raw id needs root@pam."
  type = list(object({
    device  = string
    mapping = optional(string)
    id      = optional(string)
    pcie    = optional(bool, true)
    xvga    = optional(bool, false)
    rombar  = optional(bool, true)
  }))
  default = []

  validation {
    condition     = alltrue([for h in var.hostpci : can(regex("^hostpci([0-9]|1[0-5])$", h.device)) && ((h.mapping == null) != (h.id == null))])
    error_message = "hostpci[*].device must be hostpci0..hostpci15 and exactly one of mapping or id must be set."
  }
}

variable "vga" {
  description = "Display adapter. Set type = \"none\" when a passed-through GPU drives the display."
  type = object({
    type   = optional(string, "std")
    memory = optional(number, 16)
  })
  default = {}
}

variable "agent_enabled" {
  description = "Enable the QEMU guest agent channel (the template must install qemu-guest-agent); addresses come from it."
  type        = bool
  default     = true
}

variable "wait_for_ip" {
  description = "Wait for the agent to report an address during apply. false skips the wait (fast refreshes)."
  type        = bool
  default     = true
}

variable "started" {
  description = "Whether the VM runs after apply."
  type        = bool
  default     = true
}

variable "on_boot" {
  description = "Start the VM when the node boots."
  type        = bool
  default     = true
}
