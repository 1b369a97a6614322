variable "zone_id" {
  description = "SDN simple zone id (Proxmox allows at most 8 characters, letters and digits)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{0,7}$", var.zone_id))
    error_message = "zone_id must start with a letter and have at most 8 lowercase letters or digits."
  }
}

variable "nodes" {
  description = "Nodes the zone is deployed on; empty means all nodes."
  type        = list(string)
  default     = []
}

variable "mtu" {
  description = "MTU of the zone's bridges."
  type        = number
  default     = 1500

  validation {
    condition     = var.mtu >= 576 && var.mtu <= 65520
    error_message = "mtu must be between 576 and 65520."
  }
}

variable "ipam" {
  description = "IPAM plugin (pve is the built-in one; needed for the dnsmasq DHCP)."
  type        = string
  default     = "pve"
}

variable "dhcp" {
  description = "DHCP backend for the zone: dnsmasq, or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.dhcp == null || var.dhcp == "dnsmasq"
    error_message = "dhcp must be dnsmasq or null."
  }
}

variable "vnets" {
  description = "VNets of the zone keyed by VNet id (at most 8 characters), each with its subnets keyed by CIDR."
  type = map(object({
    alias         = optional(string)
    isolate_ports = optional(bool, false)
    subnets = optional(map(object({
      gateway         = optional(string)
      snat            = optional(bool, false)
      dhcp_dns_server = optional(string)
      dhcp_range = optional(object({
        start_address = string
        end_address   = string
      }))
    })), {})
  }))

  validation {
    condition     = alltrue([for id, _ in var.vnets : can(regex("^[a-z][a-z0-9]{0,7}$", id))])
    error_message = "vnets keys must start with a letter and have at most 8 lowercase letters or digits."
  }

  validation {
    condition     = alltrue(flatten([for _, v in var.vnets : [for cidr, _ in v.subnets : can(cidrhost(cidr, 0))]]))
    error_message = "vnets[*].subnets keys must be networks in CIDR notation (10.10.0.0/24)."
  }
}
