resource "genesyscloud_integration" "web" {
  name             = "Orders API"
  integration_type = "custom-rest-actions"
}

variable "api_token" {
  type      = string
  sensitive = true
}

resource "genesyscloud_integration_action" "lookup" {
  name           = "Order lookup"
  category       = "Orders"
  integration_id = genesyscloud_integration.web.id
  config_request {
    request_url_template = "https://api.example.com/orders/$${input.orderId}"
    request_type         = "GET"
    headers = {
      Authorization = "Bearer $${credentials.token}"
      X-Api-Key     = var.api_token
      # Names where the key comes from (an API Gateway setting), not a key.
      x-amazon-apigateway-api-key-source = "HEADER"
    }
  }
}
