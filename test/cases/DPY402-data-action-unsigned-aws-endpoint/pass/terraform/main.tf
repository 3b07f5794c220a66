resource "genesyscloud_integration" "web" {
  name             = "Orders API"
  integration_type = "custom-rest-actions"
}

resource "genesyscloud_integration_action" "api" {
  name           = "Call the orders API"
  category       = "Orders"
  integration_id = genesyscloud_integration.web.id
  config_request {
    request_url_template = "https://api.example.com/orders"
    request_type         = "POST"
  }
}
