variable "integration_id" {
  type = string
}

variable "lambda_arn" {
  type = string
}

resource "genesyscloud_integration_action" "orders" {
  name           = "Get order status"
  category       = "Orders"
  integration_id = var.integration_id
  config_request {
    request_url_template = var.lambda_arn
    request_type         = "POST"
    request_template     = "$${input.rawRequest}"
    headers = {
      Authorization = "Bearer 5f4dcc3b5aa765d61d8327deb882cf99"
    }
  }
  config_response {
    success_template = "$${rawResult}"
  }
}
