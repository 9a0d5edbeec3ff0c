/**
 * Publisher accounts, their program eligibility and the Partner Center roles of their users.
 */
import { invalid } from '../errors.js';

/**
 * What qualifies a publisher for managed service offers. Today a Solutions Partner designation for
 * Infrastructure (Azure) or Security; before 2023 a Silver/Gold Cloud Platform competency or Azure Expert MSP.
 */
export type EligibilityCredential =
  | 'SolutionsPartner:Infrastructure'
  | 'SolutionsPartner:Security'
  | 'CloudPlatformCompetency:Silver'
  | 'CloudPlatformCompetency:Gold'
  | 'AzureExpertMsp';

export const MANAGED_SERVICE_CREDENTIALS: readonly EligibilityCredential[] = [
  'SolutionsPartner:Infrastructure',
  'SolutionsPartner:Security',
  'CloudPlatformCompetency:Silver',
  'CloudPlatformCompetency:Gold',
  'AzureExpertMsp',
];

/** Partner Center roles that matter for offers (the financial and marketer roles never touch them). */
export type PartnerCenterRole = 'Owner' | 'Manager' | 'Developer';

export type PublisherAction = 'edit' | 'publish' | 'seeLeads' | 'manageUsers';

export interface PublisherContact {
  readonly name: string;
  readonly email: string;
  readonly phone?: string;
}

export interface PublisherMember {
  readonly userId: string;
  readonly roles: readonly PartnerCenterRole[];
}

export interface PublisherAccount {
  /** The marketplace publisher id, part of every listing URL and marketplace plan (`publisher.offer.plan.version`). */
  readonly publisherId: string;
  readonly displayName: string;
  readonly contacts: readonly PublisherContact[];
  readonly enrolledInCommercialMarketplace: boolean;
  readonly verified: boolean;
  readonly eligibility: readonly EligibilityCredential[];
  readonly members: readonly PublisherMember[];
}

/**
 * Who may do what to offers. Partner Center documents Owner (complete ownership, adds users), Manager
 * (manages users, roles and permissions; no tax/payout) and Developer (uploads packages, submits apps; no
 * account settings). Leads carry customers' personal data and live beside the account settings, so only
 * Owner and Manager see them (pain 24: the matrix is stated here, once).
 *
 * | action      | Owner | Manager | Developer |
 * |-------------|:-----:|:-------:|:---------:|
 * | edit        |   ✔   |    ✔    |     ✔     |
 * | publish     |   ✔   |    ✔    |     ✔     |
 * | seeLeads    |   ✔   |    ✔    |     ✘     |
 * | manageUsers |   ✔   |    ✔    |     ✘     |
 */
export const ROLE_MATRIX: Readonly<Record<PartnerCenterRole, readonly PublisherAction[]>> = {
  Owner: ['edit', 'publish', 'seeLeads', 'manageUsers'],
  Manager: ['edit', 'publish', 'seeLeads', 'manageUsers'],
  Developer: ['edit', 'publish'],
};

/** True when a Partner Center role allows the action. */
export function canDo(role: PartnerCenterRole, action: PublisherAction): boolean {
  return ROLE_MATRIX[role].includes(action);
}

/** True when any of the user's roles in the publisher account allows the action. */
export function memberCanDo(publisher: PublisherAccount, userId: string, action: PublisherAction): boolean {
  const member = publisher.members.find((m) => m.userId === userId);
  return member !== undefined && member.roles.some((role) => canDo(role, action));
}

/** Why a publisher may not publish managed service offers, or undefined when it may (certification policy 700.4). */
export function publisherIneligibility(publisher: PublisherAccount): string | undefined {
  if (!publisher.enrolledInCommercialMarketplace) {
    return `Publisher ${publisher.publisherId} is not enrolled in the commercial marketplace program.`;
  }
  if (!publisher.verified) return `Publisher ${publisher.publisherId} is not verified yet.`;
  if (!publisher.eligibility.some((c) => MANAGED_SERVICE_CREDENTIALS.includes(c))) {
    return (
      `Publisher ${publisher.publisherId} needs a Solutions Partner designation for Infrastructure (Azure) or Security ` +
      '(or a legacy Silver/Gold Cloud Platform competency or Azure Expert MSP) to publish managed service offers; ' +
      'without one, onboard customers with an ARM template instead.'
    );
  }
  return undefined;
}

const PARTNER_CENTER_ROLES: readonly PartnerCenterRole[] = ['Owner', 'Manager', 'Developer'];

/**
 * The members after giving `memberId` exactly `roles` (none removes the member); refuses an unknown
 * role and a change that would leave the publisher without an Owner.
 */
export function withMemberRoles(publisher: PublisherAccount, memberId: string, roles: readonly PartnerCenterRole[]): readonly PublisherMember[] {
  for (const role of roles) {
    if (!PARTNER_CENTER_ROLES.includes(role)) throw invalid('invalidRequest', `"${String(role)}" is not a Partner Center role (Owner, Manager, Developer).`, 'roles');
  }
  const others = publisher.members.filter((m) => m.userId !== memberId);
  const members = roles.length === 0 ? others : [...others, { userId: memberId, roles: [...new Set(roles)] }];
  if (!members.some((m) => m.roles.includes('Owner'))) {
    throw invalid('invalidRequest', `Publisher ${publisher.publisherId} must keep at least one Owner.`, 'roles');
  }
  return members;
}
