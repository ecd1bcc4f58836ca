/** The table's addressing attributes on a call item, which records never carry. */
export const callKeyAttributes = ['pk', 'sk', 'tenantListPk', 'userListPk', 'agencyListPk', 'listSk'] as const;
