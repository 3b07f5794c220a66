locals {
  genesys_account_arn = "arn:aws:iam::765628985471:root"
}
