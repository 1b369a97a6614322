# A tenant network, a Debian cloud image and LXC template, one Linux VM and one container,
# without the platform. Credentials come from the environment:
#   export PROXMOX_VE_ENDPOINT=https://pve.example.net:8006/
#   export PROXMOX_VE_API_TOKEN='terraform@pve!provider=<secret>'
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    proxmox = {
      source  = "bpg/proxmox"
      version = "~> 0.111.1"
    }
  }
}

provider "proxmox" {
  insecure = var.insecure
}

module "network" {
  source = "../../modules/network"

  zone_id = "demo"
  vnets = {
    demonet = {
      alias = "demo tenant"
      subnets = {
        "10.42.0.0/24" = { gateway = "10.42.0.1", snat = true }
      }
    }
  }
}

module "images" {
  source = "../../modules/storage"

  node_name = var.node_name
  files = {
    debian12_lxc = {
      content_type = "vztmpl"
      url          = var.lxc_template_url
    }
  }
}

module "vm" {
  source = "../../modules/vm"

  node_name = var.node_name
  name      = "demo-vm"
  tags      = ["demo", "pvepaas"]
  clone     = { vm_id = var.template_vm_id }
  cpu       = { cores = 2 }
  memory    = { dedicated = 2048 }
  disk      = { datastore_id = var.datastore_id, size = 20 }

  network_devices = [{ bridge = module.network.bridges[0] }]

  cloud_init = {
    datastore_id = var.datastore_id
    username     = "debian"
    ssh_keys     = [var.ssh_public_key]
    ipv4         = [{ address = "10.42.0.10/24", gateway = "10.42.0.1" }]
  }
}

module "ct" {
  source = "../../modules/lxc"

  node_name        = var.node_name
  hostname         = "demo-ct"
  template_file_id = module.images.file_ids["debian12_lxc"]
  memory           = { dedicated = 512 }
  disk             = { datastore_id = var.datastore_id, size = 8 }

  network_interfaces = [{ bridge = module.network.bridges[0] }]

  initialization = {
    ssh_keys = [var.ssh_public_key]
    ipv4     = [{ address = "10.42.0.11/24", gateway = "10.42.0.1" }]
  }
}
