variable "node_name" {
  description = "Proxmox node to use."
  type        = string
  default     = "pve"
}

variable "datastore_id" {
  description = "Datastore for disks and the cloud-init drive."
  type        = string
  default     = "local-lvm"
}

variable "template_vm_id" {
  description = "VMID of a cloud-init enabled Debian template with qemu-guest-agent."
  type        = number
  default     = 9000
}

variable "lxc_template_url" {
  description = "Where the node downloads the Debian LXC template from."
  type        = string
  default     = "http://download.proxmox.com/images/system/debian-12-standard_12.7-1_amd64.tar.zst"
}

variable "ssh_public_key" {
  description = "Public key allowed to log in to both guests."
  type        = string
}

variable "insecure" {
  description = "Skip TLS verification (self-signed Proxmox certificate)."
  type        = bool
  default     = false
}
