variable "organization_id" {
  type = string
}
