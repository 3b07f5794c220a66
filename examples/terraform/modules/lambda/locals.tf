locals {
  genesys_cloud_account_arn = "arn:aws:iam::765628985471:root"
  resource_name_prefix      = var.prefix
}
