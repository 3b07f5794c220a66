import { describe, expect, it } from "vitest";
import { SourceFile } from "../../src/engine/source.js";
import { loadText } from "../../src/parsers/index.js";

function load(obj: unknown, path = "main.tf.json") {
  const text = JSON.stringify(obj, null, 2);
  const r = loadText(new SourceFile(path, `/x/${path}`, text));
  return { model: r.model, text };
}

const action = (extra: Record<string, unknown> = {}) => ({
  name: "Lookup",
  integration_id: "${genesyscloud_integration.lambda.id}",
  config_request: { request_url_template: "arn:aws:lambda:us-east-1:123456789012:function:lookup", request_type: "POST", request_template: "$${input.rawRequest}", headers: { Authorization: "Bearer $${credentials.token}" } },
  ...extra,
});

describe("Terraform JSON configuration (*.tf.json)", () => {
  it("reads genesyscloud_integration_action and resolves the integration type from the same file", () => {
    const { model, text } = load({
      resource: {
        genesyscloud_integration: { lambda: { integration_type: "aws-lambda-data-actions" } },
        genesyscloud_integration_action: { lookup: action() },
      },
    });
    expect(model?.kind).toBe("terraform");
    const [a] = model!.dataActions;
    expect(a!.integrationType).toBe("aws-lambda-data-actions");
    expect(a!.url).toBe("arn:aws:lambda:us-east-1:123456789012:function:lookup");
    expect(a!.terraform).toBe(true);
    expect(a!.headers).toEqual([expect.objectContaining({ name: "Authorization", value: "Bearer $${credentials.token}" })]);
    expect(a!.origin.logicalId).toBe("genesyscloud_integration_action.lookup");
    // The URL node points at the string in the file.
    expect(text.slice(a!.urlNode!.range.start, a!.urlNode!.range.end)).toBe('"arn:aws:lambda:us-east-1:123456789012:function:lookup"');
  });

  it("accepts array forms: resource list, block body list, config_request as a one-element list", () => {
    const { model } = load({
      resource: [
        { genesyscloud_integration: { web: [{ integration_type: "custom-rest-actions" }] } },
        {
          genesyscloud_integration_action: {
            a: [action({ integration_id: "${genesyscloud_integration.web.id}", config_request: [{ request_url_template: "https://x.example.org", headers: {} }] })],
          },
        },
      ],
    });
    expect(model!.dataActions.map((a) => [a.integrationType, a.url])).toEqual([["custom-rest-actions", "https://x.example.org"]]);
  });

  it("leaves the integration type unknown when the integration is elsewhere", () => {
    const { model } = load({ resource: { genesyscloud_integration_action: { a: action({ integration_id: "${var.integration_id}" }) } } });
    expect(model!.dataActions[0]!.integrationType).toBeUndefined();
  });

  it("turns amazonWebServicesARN credentials into Genesys role references", () => {
    const { model } = load({
      resource: {
        genesyscloud_integration_credential: {
          role: { name: "c", credential_type_name: "amazonWebServicesARN", fields: { ARN: "arn:aws:iam::123456789012:role/genesys-invoker" } },
          basic: { name: "b", credential_type_name: "basicAuth", fields: { userName: "u", password: "${var.p}" } },
        },
      },
    });
    expect(model!.roleReferences.map((r) => r.roleArn.value)).toEqual(["arn:aws:iam::123456789012:role/genesys-invoker"]);
  });

  it("ignores Terraform JSON without Genesys resources", () => {
    expect(load({ resource: { aws_s3_bucket: { b: { bucket: "x" } } } }).model).toBeUndefined();
  });
});

describe("terraform show -json", () => {
  it("reads state values from the root and child modules and resolves integrations by ID", () => {
    const { model } = load(
      {
        format_version: "1.0",
        values: {
          root_module: {
            resources: [{ address: "genesyscloud_integration.lambda", mode: "managed", type: "genesyscloud_integration", name: "lambda", values: { id: "int-1", integration_type: "aws-lambda-data-actions" } }],
            child_modules: [
              {
                address: "module.actions",
                resources: [
                  {
                    address: "module.actions.genesyscloud_integration_action.lookup",
                    mode: "managed",
                    type: "genesyscloud_integration_action",
                    name: "lookup",
                    values: { name: "Lookup", integration_id: "int-1", config_request: [{ request_url_template: "arn:aws:lambda:us-east-1:123456789012:function:lookup", headers: { "X-Api-Key": "k" } }] },
                  },
                ],
              },
            ],
          },
        },
      },
      "state.json",
    );
    expect(model?.kind).toBe("terraform-show");
    const [a] = model!.dataActions;
    expect(a!.integrationType).toBe("aws-lambda-data-actions");
    expect(a!.terraform).toBe(false);
    expect(a!.origin.logicalId).toBe("module.actions.genesyscloud_integration_action.lookup");
  });

  it("prefers planned_values over resource_changes (no duplicates) and resolves integrations through the configuration", () => {
    const act = { name: "A", integration_id: null, config_request: [{ request_url_template: "https://x.example.org/a" }] };
    const { model } = load(
      {
        format_version: "1.2",
        planned_values: {
          root_module: {
            resources: [
              { address: "genesyscloud_integration.web", type: "genesyscloud_integration", name: "web", values: { integration_type: "custom-rest-actions" } },
              { address: "genesyscloud_integration_action.a", type: "genesyscloud_integration_action", name: "a", values: act },
            ],
          },
        },
        resource_changes: [{ address: "genesyscloud_integration_action.a", type: "genesyscloud_integration_action", name: "a", change: { actions: ["create"], after: act } }],
        configuration: {
          root_module: {
            resources: [{ address: "genesyscloud_integration_action.a", type: "genesyscloud_integration_action", name: "a", expressions: { integration_id: { references: ["genesyscloud_integration.web.id", "genesyscloud_integration.web"] } } }],
          },
        },
      },
      "plan.json",
    );
    expect(model!.dataActions.map((a) => a.integrationType)).toEqual(["custom-rest-actions"]);
  });

  it("reads resource_changes when there are no planned values", () => {
    const { model } = load(
      { format_version: "1.2", resource_changes: [{ address: "genesyscloud_integration_action.a", type: "genesyscloud_integration_action", name: "a", change: { actions: ["create"], after: { name: "A", config_request: [{ request_url_template: "http://x" }] } } }] },
      "plan.json",
    );
    expect(model!.dataActions.map((a) => a.url)).toEqual(["http://x"]);
  });
});

describe("data action exports", () => {
  it("reads a Platform API listing ({entities: [...]})", () => {
    const { model } = load(
      { entities: [{ id: "1", name: "A", category: "c", integrationId: "i", config: { request: { requestUrlTemplate: "https://x.example.org", requestType: "GET", headers: {} } } }], pageSize: 25 },
      "actions.json",
    );
    expect(model?.kind).toBe("genesys-data-action");
    expect(model!.dataActions.map((a) => a.url)).toEqual(["https://x.example.org"]);
  });
});
