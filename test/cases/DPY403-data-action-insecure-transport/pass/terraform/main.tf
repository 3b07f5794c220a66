resource "genesyscloud_integration" "web" {
  name             = "Orders API"
  integration_type = "custom-rest-actions"
}

variable "base_url" {
  type = string
}

resource "genesyscloud_integration_action" "unknown" {
  name           = "Order lookup"
  category       = "Orders"
  integration_id = genesyscloud_integration.web.id
  config_request {
    request_url_template = "${var.base_url}/orders/$${input.orderId}"
    request_type         = "GET"
  }
}
