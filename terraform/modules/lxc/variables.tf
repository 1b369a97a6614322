variable "node_name" {
  description = "Proxmox node that runs the container."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$", var.node_name))
    error_message = "node_name must be a Proxmox node name (letters, digits, dashes)."
  }
}

variable "vm_id" {
  description = "CTID; null lets Proxmox pick the next free one."
  type        = number
  default     = null

  validation {
    # Terraform evaluates both sides of ||, so null is handled with a conditional.
    condition     = var.vm_id == null ? true : var.vm_id >= 100 && var.vm_id <= 999999999
    error_message = "vm_id must be between 100 and 999999999."
  }
}

variable "hostname" {
  description = "Container hostname (DNS label)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.hostname))
    error_message = "hostname must be a lowercase DNS label (a-z, 0-9, dash; at most 63 characters)."
  }
}

variable "description" {
  description = "Free text shown in the Proxmox UI."
  type        = string
  default     = "Managed by pvepaas"
}

variable "pool_id" {
  description = "Resource pool the container joins (one per tenant), or null."
  type        = string
  default     = null
}

variable "tags" {
  description = "Proxmox tags (sorted here because Proxmox sorts them)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for t in var.tags : can(regex("^[a-z0-9_][a-z0-9_+.-]*$", t))])
    error_message = "tags must be lowercase and contain only a-z, 0-9, _, +, . and -."
  }
}

variable "template_file_id" {
  description = "OS template volume, e.g. local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst (see the storage module)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]+:vztmpl/.+$", var.template_file_id))
    error_message = "template_file_id must look like <storage>:vztmpl/<file>."
  }
}

variable "os_type" {
  description = "Distribution, so Proxmox writes the right network/hostname files: debian, ubuntu, alpine, ... or unmanaged."
  type        = string
  default     = "debian"

  validation {
    condition     = contains(["alpine", "archlinux", "centos", "debian", "devuan", "fedora", "gentoo", "nixos", "opensuse", "ubuntu", "unmanaged"], var.os_type)
    error_message = "os_type must be a distribution Proxmox knows (debian, ubuntu, alpine, ...) or unmanaged."
  }
}

variable "cores" {
  description = "CPU cores."
  type        = number
  default     = 1

  validation {
    condition     = var.cores >= 1 && var.cores <= 128
    error_message = "cores must be 1..128."
  }
}

variable "memory" {
  description = "Memory and swap in MiB."
  type = object({
    dedicated = number
    swap      = optional(number, 0)
  })

  validation {
    condition     = var.memory.dedicated >= 64 && var.memory.swap >= 0
    error_message = "memory.dedicated must be at least 64 MiB and memory.swap non-negative."
  }
}

variable "disk" {
  description = "Root filesystem: datastore and size in GiB."
  type = object({
    datastore_id = string
    size         = number
  })

  validation {
    condition     = var.disk.size >= 1
    error_message = "disk.size must be at least 1 GiB."
  }
}

variable "network_interfaces" {
  description = "veth interfaces in order; each gets the ipv4 entry at the same index."
  type = list(object({
    name     = optional(string)
    bridge   = string
    vlan_id  = optional(number)
    firewall = optional(bool, true)
    mtu      = optional(number)
  }))

  validation {
    condition     = length(var.network_interfaces) >= 1
    error_message = "Give at least one network interface."
  }
}

variable "initialization" {
  description = "Root SSH keys/password, one ipv4 entry per interface (\"dhcp\" or CIDR + gateway), DNS."
  type = object({
    ssh_keys    = optional(list(string), [])
    password    = optional(string)
    dns_servers = optional(list(string), [])
    dns_domain  = optional(string)
    ipv4 = optional(list(object({
      address = string
      gateway = optional(string)
    })), [])
  })

  validation {
    condition     = alltrue([for ip in var.initialization.ipv4 : ip.address == "dhcp" || can(cidrhost(ip.address, 0))])
    error_message = "initialization.ipv4[*].address must be \"dhcp\" or an address in CIDR notation."
  }
}

variable "unprivileged" {
  description = "Run unprivileged (recommended; the platform default)."
  type        = bool
  default     = true
}

variable "nesting" {
  description = "Allow nested containers (Docker inside the CT). The only feature flag an API token may change."
  type        = bool
  default     = false
}

variable "started" {
  description = "Whether the container runs after apply."
  type        = bool
  default     = true
}

variable "start_on_boot" {
  description = "Start the container when the node boots."
  type        = bool
  default     = true
}
