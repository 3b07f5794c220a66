# Valid HCL with nothing deputy reads.
terraform {
  required_version = ">= 1.5"
}

variable "region" {
  type    = string
  default = "us-east-1"
}
