variable "role_arn" {
  type = string
}

resource "genesyscloud_integration_credential" "role" {
  name                 = "Orders Lambda role"
  credential_type_name = "amazonWebServicesARN"
  fields = {
    ARN = var.role_arn
  }
}

resource "genesyscloud_integration" "lambda" {
  intended_state   = "ENABLED"
  integration_type = "aws-lambda-data-actions"
  config {
    name = "Orders Lambda"
    credentials = {
      "AmazonWebServicesARN" : "${genesyscloud_integration_credential.role.id}"
    }
  }
}

output "integration_id" {
  value = genesyscloud_integration.lambda.id
}
