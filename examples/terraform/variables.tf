variable "aws_region" {
  type    = string
  default = "us-east-1"
}

variable "organization_id" {
  type = string
}

variable "prefix" {
  type = string
}
