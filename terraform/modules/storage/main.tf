resource "proxmox_virtual_environment_storage_directory" "this" {
  count = var.directory == null ? 0 : 1

  id      = var.directory.id
  path    = var.directory.path
  nodes   = length(var.directory.nodes) > 0 ? var.directory.nodes : null
  content = var.directory.content
  shared  = var.directory.shared
}

resource "proxmox_virtual_environment_download_file" "this" {
  for_each = var.files

  node_name          = var.node_name
  datastore_id       = var.directory == null ? var.datastore_id : proxmox_virtual_environment_storage_directory.this[0].id
  content_type       = each.value.content_type
  url                = each.value.url
  file_name          = each.value.file_name
  checksum           = each.value.checksum
  checksum_algorithm = each.value.checksum == null ? null : each.value.checksum_algorithm
  overwrite          = false
}
