variable "node_name" {
  description = "Node that downloads the files (the datastore must be reachable from it)."
  type        = string
}

variable "datastore_id" {
  description = "Datastore for the downloaded images and templates (needs the iso/vztmpl content types)."
  type        = string
  default     = "local"
}

variable "files" {
  description = "Images to download by the node itself (no SSH): cloud images as content_type iso, LXC templates as vztmpl."
  type = map(object({
    content_type       = string
    url                = string
    checksum           = optional(string)
    checksum_algorithm = optional(string, "sha256")
    file_name          = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for f in var.files : contains(["iso", "vztmpl", "import"], f.content_type)])
    error_message = "files[*].content_type must be iso, vztmpl or import."
  }

  validation {
    condition     = alltrue([for f in var.files : can(regex("^https?://", f.url))])
    error_message = "files[*].url must be an http(s) URL."
  }
}

variable "directory" {
  description = "Optional directory datastore to create first (id, path on the nodes, content types)."
  type = object({
    id      = string
    path    = string
    nodes   = optional(list(string), [])
    content = optional(list(string), ["images", "iso", "vztmpl", "snippets"])
    shared  = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.directory == null || can(regex("^/", var.directory.path))
    error_message = "directory.path must be absolute."
  }
}
