locals {
  everything = ["*"]
}
