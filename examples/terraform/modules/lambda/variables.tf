variable "prefix" {
  type = string
}

variable "organization_id" {
  type = string
}
