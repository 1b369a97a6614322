output "datastore_id" {
  description = "Datastore holding the files."
  value       = var.directory == null ? var.datastore_id : proxmox_virtual_environment_storage_directory.this[0].id
}

output "file_ids" {
  description = "Volume ids keyed like var.files: give an iso/import one to a VM disk import_from, a vztmpl one to the lxc module's template_file_id."
  value       = { for k, f in proxmox_virtual_environment_download_file.this : k => f.id }
}
