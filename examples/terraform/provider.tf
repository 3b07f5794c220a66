provider "aws" {
  region              = var.aws_region
  allowed_account_ids = ["123456789012"]
}
