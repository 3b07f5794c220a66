variable "organization_id" {
  type        = string
  description = "Genesys Cloud organization ID"
}
