resource "genesyscloud_integration" "web" {
  name             = "Orders API"
  integration_type = "custom-rest-actions"
}

resource "genesyscloud_integration_action" "plain" {
  name           = "Order lookup"
  category       = "Orders"
  integration_id = genesyscloud_integration.web.id
  config_request {
    request_url_template = "http://api.example.com/orders/$${input.orderId}"
    request_type         = "GET"
  }
}
