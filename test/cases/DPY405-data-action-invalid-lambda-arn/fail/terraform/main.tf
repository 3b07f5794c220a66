resource "genesyscloud_integration" "lambda" {
  name             = "Orders Lambda"
  integration_type = "aws-lambda-data-actions"
}

resource "genesyscloud_integration_action" "orders" {
  name           = "Get order"
  category       = "Orders"
  integration_id = genesyscloud_integration.lambda.id
  config_request {
    request_url_template = "your-lambda-function-arn"
    request_type         = "POST"
  }
}
