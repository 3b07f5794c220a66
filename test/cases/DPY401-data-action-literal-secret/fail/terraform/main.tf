resource "genesyscloud_integration" "web" {
  name             = "Orders API"
  integration_type = "custom-rest-actions"
}

resource "genesyscloud_integration_action" "lookup" {
  name           = "Order lookup"
  category       = "Orders"
  integration_id = genesyscloud_integration.web.id
  config_request {
    request_url_template = "https://api.example.com/orders/$${input.orderId}"
    request_type         = "GET"
    headers = {
      Authorization = "Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0"
      X-Api-Key     = "AKfycbx1234567890abcdefghij"
    }
  }
}
