import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/config.js";
import { Project } from "../../src/engine/project.js";
import { SourceFile } from "../../src/engine/source.js";
import { emptyModel } from "../../src/model/entities.js";

describe("Project.memo", () => {
  it("builds a derived index once, and again after files were added", () => {
    const project = new Project(defaultConfig());
    let builds = 0;
    const count = () => project.memo("files", () => (builds++, project.files.length));
    expect(count()).toBe(0);
    expect(count()).toBe(0);
    expect(builds).toBe(1);
    const file = new SourceFile("a.json", "/a.json", "{}");
    project.add(emptyModel(file, "policy"));
    expect(count()).toBe(1);
    expect(builds).toBe(2);
    expect(project.modelOf(file)?.kind).toBe("policy");
  });
});
