import { allOf, itemExists, setAttributes } from '../../lambdas/store/updateExpressions.js';

const isActive = { expression: '#status = :active', names: { '#status': 'status' }, values: { ':active': 'active' } };

describe('update expressions', () => {
  it('name each placeholder after its attribute, whatever the order of the keys', () => {
    const one = setAttributes({ status: 'revoked', revokedAt: '2026-06-01T00:00:00.000Z' }, isActive);
    const other = setAttributes({ revokedAt: '2026-06-01T00:00:00.000Z', status: 'revoked' }, isActive);

    expect(one).toEqual({
      UpdateExpression: 'SET #status = :status, #revokedAt = :revokedAt',
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status', '#revokedAt': 'revokedAt' },
      ExpressionAttributeValues: {
        ':active': 'active',
        ':status': 'revoked',
        ':revokedAt': '2026-06-01T00:00:00.000Z',
      },
    });
    expect(other.ConditionExpression).toBe(one.ConditionExpression);
    expect(other.ExpressionAttributeValues).toEqual(one.ExpressionAttributeValues);
  });

  it('leave undefined attributes as they are, and join condition parts with AND', () => {
    expect(setAttributes({ quota: undefined, updatedAt: 'now' }, allOf(itemExists, isActive))).toMatchObject({
      UpdateExpression: 'SET #updatedAt = :updatedAt',
      ConditionExpression: '(attribute_exists(pk)) AND (#status = :active)',
    });
  });

  it('refuse an attribute whose value placeholder a condition already uses', () => {
    expect(() => setAttributes({ active: true }, isActive)).toThrow(
      'cannot name a placeholder for the attribute active',
    );
  });
});
