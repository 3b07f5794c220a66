prefix = "orders"
