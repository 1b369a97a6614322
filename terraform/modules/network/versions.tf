terraform {
  # optional() object attributes need 1.3; OpenTofu 1.6+ reads the same files.
  required_version = ">= 1.5.0"

  required_providers {
    proxmox = {
      source = "bpg/proxmox"
      # 0.x minor releases may break; the VM/container resources are renamed in 1.0 (ADR-007).
      # Bump deliberately, after reading the changelog.
      version = "~> 0.111.1"
    }
  }
}
