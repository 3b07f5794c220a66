organization_id = "<org ID>"
