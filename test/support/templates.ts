/**
 * The synthesized templates of a stack with nested stacks (the HTTP route functions are in one,
 * infra/constructs/booking-api.ts), for the infra tests: each template as CloudFormation gets
 * it (resource counts per template), and all of them as one, so a grant, an environment
 * variable or an alarm reads the same whichever template its function is in.
 */
import { NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

export interface StackTemplates {
  parent: Template;
  /** Each nested stack's template, by the nested stack's construct path. */
  nested: Record<string, Template>;
  /**
   * Every resource in one template, as the stack would be without nesting: in the nested
   * templates a parameter the parent passes (`{ Ref: referenceto… }`) is replaced by the value
   * passed, and in the parent an output read from a nested stack (`Fn::GetAtt [<nested stack>,
   * Outputs.…]`) by the output's value; the nested stacks' `AWS::CloudFormation::Stack`
   * resources are left out. So counts over the whole stack are the counts of one template.
   */
  all: Template;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `value` with every `{ Ref: name }` or `{ 'Fn::GetAtt': [id, attr] }` that `replace` answers for replaced. */
const rewrite = (value: unknown, replace: (node: Json) => unknown): unknown => {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, replace));
  if (!isObject(value)) return value;
  const replaced = replace(value);
  if (replaced !== undefined) return replaced;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, replace)]));
};

const nestedStacksOf = (stack: Stack): NestedStack[] => stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack && c.nestedStackParent === stack);

/** The templates of `stack` and of its nested stacks (one level deep), and all of them as one. */
export const templatesOf = (stack: Stack): StackTemplates => {
  const parent = Template.fromStack(stack);
  const merged = structuredClone(parent.toJSON()) as { Resources: Record<string, Json>; Outputs?: Json; Conditions?: Json };
  const nested: Record<string, Template> = {};
  for (const child of nestedStacksOf(stack)) {
    const template = Template.fromStack(child);
    nested[child.node.path] = template;
    const json = template.toJSON() as { Resources: Record<string, Json>; Outputs?: Record<string, { Value: unknown }>; Conditions?: Json };
    const resourceId = stack.resolve(child.nestedStackResource!.logicalId) as string;
    const passed = ((merged.Resources[resourceId]!.Properties as Json | undefined)?.Parameters ?? {}) as Json;
    const fromParent = (node: Json): unknown => (typeof node.Ref === 'string' && node.Ref in passed ? passed[node.Ref] : undefined);
    const resources = rewrite(json.Resources, fromParent) as Record<string, Json>;
    const outputs = rewrite(json.Outputs ?? {}, fromParent) as Record<string, { Value: unknown }>;
    delete merged.Resources[resourceId];
    for (const [id, resource] of Object.entries(resources)) {
      if (merged.Resources[id]) throw new Error(`${id} is in both ${stack.node.path} and ${child.node.path}`);
      merged.Resources[id] = resource;
    }
    const fromNested = (node: Json): unknown => {
      const getAtt = node['Fn::GetAtt'];
      if (!Array.isArray(getAtt) || getAtt[0] !== resourceId || typeof getAtt[1] !== 'string' || !getAtt[1].startsWith('Outputs.')) return undefined;
      const output = outputs[getAtt[1].slice('Outputs.'.length)];
      if (!output) throw new Error(`${child.node.path} has no output ${getAtt[1]}`);
      return output.Value;
    };
    for (const [id, resource] of Object.entries(merged.Resources)) {
      const { DependsOn: dependsOn, ...rest } = rewrite(resource, fromNested) as Json;
      const deps = ([] as string[]).concat((dependsOn as string | string[] | undefined) ?? []).filter((d) => d !== resourceId);
      merged.Resources[id] = deps.length ? { ...rest, DependsOn: deps } : rest;
    }
    if (merged.Outputs) merged.Outputs = rewrite(merged.Outputs, fromNested) as Json;
    if (json.Conditions) merged.Conditions = { ...merged.Conditions, ...json.Conditions };
  }
  return { parent, nested, all: Template.fromJSON(merged) };
};

/** How many resources each template holds: the parent's by its stack's path, the nested ones by theirs. */
export const resourceCounts = (stack: Stack, templates: StackTemplates): Record<string, number> => ({
  [stack.node.path]: Object.keys(templates.parent.toJSON().Resources ?? {}).length,
  ...Object.fromEntries(Object.entries(templates.nested).map(([path, t]) => [path, Object.keys(t.toJSON().Resources ?? {}).length])),
});
