resource "genesyscloud_integration" "web" {
  name             = "Orders API"
  integration_type = "custom-rest-actions"
}

resource "genesyscloud_integration_action" "url" {
  name           = "Call the function URL"
  category       = "Orders"
  integration_id = genesyscloud_integration.web.id
  config_request {
    request_url_template = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/orders"
    request_type         = "POST"
  }
}
