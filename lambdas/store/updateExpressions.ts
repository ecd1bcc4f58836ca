/**
 * Update expressions whose placeholders are named for what they stand for: an attribute by its own
 * name (`#status = :status`), a condition's value by its meaning (`:redeemed`). Nothing depends on
 * the order of an object's keys, and each condition part reads as the fact it checks.
 */

/** One named part of a condition expression, with the placeholders it uses. */
export interface ConditionPart {
  readonly expression: string;
  readonly names?: Readonly<Record<string, string>>;
  readonly values?: Readonly<Record<string, unknown>>;
}

export const itemExists: ConditionPart = { expression: 'attribute_exists(pk)' };

export const allOf = (...parts: ConditionPart[]): ConditionPart => ({
  expression: parts.map((part) => `(${part.expression})`).join(' AND '),
  names: Object.assign({}, ...parts.map((part) => part.names)) as Record<string, string>,
  values: Object.assign({}, ...parts.map((part) => part.values)) as Record<string, unknown>,
});

/**
 * The parts of an UpdateItem that sets each of `attributes` (undefined ones are left as they are),
 * on `condition` when given.
 * @throws Error when an attribute's placeholder would clash with the condition's (a mistake in code)
 */
export const setAttributes = (attributes: Record<string, unknown>, condition?: ConditionPart) => {
  const assignments = Object.entries(attributes).filter(([, value]) => value !== undefined);
  const names: Record<string, string> = { ...condition?.names };
  const values: Record<string, unknown> = { ...condition?.values };
  for (const [name, value] of assignments) {
    if (!/^\w+$/.test(name) || `:${name}` in values || (names[`#${name}`] ?? name) !== name) {
      throw new Error(`cannot name a placeholder for the attribute ${name}`);
    }
    names[`#${name}`] = name;
    values[`:${name}`] = value;
  }
  return {
    UpdateExpression: `SET ${assignments.map(([name]) => `#${name} = :${name}`).join(', ')}`,
    ...(condition ? { ConditionExpression: condition.expression } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};
