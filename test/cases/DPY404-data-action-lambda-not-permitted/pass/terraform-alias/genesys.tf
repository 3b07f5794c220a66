resource "genesyscloud_integration" "lambda" {
  name             = "Orders Lambda"
  integration_type = "aws-lambda-data-actions"
}

resource "genesyscloud_integration_credential" "role" {
  name                 = "Orders role"
  credential_type_name = "amazonWebServicesARN"
  fields = {
    ARN = aws_iam_role.genesys.arn
  }
}

resource "genesyscloud_integration_action" "orders" {
  name           = "Get order"
  category       = "Orders"
  integration_id = genesyscloud_integration.lambda.id
  config_request {
    request_url_template = aws_lambda_alias.live.arn
    request_type         = "POST"
  }
}
