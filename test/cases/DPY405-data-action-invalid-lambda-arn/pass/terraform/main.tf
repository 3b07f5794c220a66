resource "genesyscloud_integration" "lambda" {
  name             = "Orders Lambda"
  integration_type = "aws-lambda-data-actions"
}

variable "lambda_arn" {
  type = string
}

resource "genesyscloud_integration_action" "orders" {
  name           = "Get order"
  category       = "Orders"
  integration_id = genesyscloud_integration.lambda.id
  config_request {
    request_url_template = var.lambda_arn
    request_type         = "POST"
  }
}
