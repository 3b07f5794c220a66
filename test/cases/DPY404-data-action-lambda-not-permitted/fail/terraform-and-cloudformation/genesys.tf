resource "genesyscloud_integration" "lambda" {
  name             = "Orders Lambda"
  integration_type = "aws-lambda-data-actions"
}

resource "genesyscloud_integration_credential" "role" {
  name                 = "Orders role"
  credential_type_name = "amazonWebServicesARN"
  fields = {
    ARN = "arn:aws:iam::123456789012:role/genesys-orders"
  }
}

resource "genesyscloud_integration_action" "refund" {
  name           = "Refund order"
  category       = "Orders"
  integration_id = genesyscloud_integration.lambda.id
  config_request {
    request_url_template = "arn:aws:lambda:us-east-1:123456789012:function:order-refund"
    request_type         = "POST"
  }
}
