/** The table's addressing attributes on a call item, which records never carry. */
export const callKeyAttributes = [
  'pk',
  'sk',
  'tenantListPk',
  'userListPk',
  'agencyListPk',
  'userAgencyListPk',
  'listSk',
] as const;
