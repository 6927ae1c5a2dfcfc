/**
 * The demo hospital's staff, the same people at its identity provider and as local accounts.
 * All share one documented demo password. The hashes below are `hashPassword('huizhen-demo')`
 * at the default (OWASP) cost, written out so the demo starts without spending seconds of scrypt.
 */
import { LocalAccountSchema, type LocalAccount } from '../../shared/config/auth.ts';
import { RoleSchema } from '../../shared/domain/user.ts';

export const DEMO_PASSWORD = 'huizhen-demo';
export const DEMO_CLIENT_ID = 'huizhen-workstation';

export interface DemoStaffMember {
  /** Login name at the IdP and for the local account. */
  username: string;
  /** The IdP's stable subject id. */
  sub: string;
  displayName: string;
  /** Role names as the hospital's IdP spells them; Huizhen maps them (unknown ones are ignored). */
  hospitalRoles: readonly string[];
  wards: readonly string[];
  practitionerId?: string;
  /** Local-account hash of DEMO_PASSWORD; absent for staff with no Huizhen role. */
  passwordHash?: string;
}

export const DEMO_STAFF: readonly DemoStaffMember[] = [
  {
    username: 'doctor',
    sub: 'staff-1001',
    displayName: '李医生',
    // 'teaching-staff' is a role the hospital has and Huizhen does not: it is ignored.
    hospitalRoles: ['ward-doctor', 'teaching-staff'],
    wards: ['CARD-1'],
    practitionerId: 'D1001',
    passwordHash: 'scrypt$131072$8$1$h-aS1-im6kHzK0Mz-MLnZw$1mNJN5r0CgaBPRqLARD8LzzvslBvSJB3flRtg-PX1C0',
  },
  {
    username: 'radiologist',
    sub: 'staff-2001',
    displayName: '王影像',
    hospitalRoles: ['radiologist'],
    wards: [],
    practitionerId: 'R2001',
    passwordHash: 'scrypt$131072$8$1$QpPSLKxdfxwjfpIR5RvpzA$DDBGbsTPEtCu7-VISfUn_qDFXnBGSbDhrjQtZZ_qQAg',
  },
  {
    username: 'nurse',
    sub: 'staff-3001',
    displayName: '赵护士',
    hospitalRoles: ['nurse'],
    wards: ['CARD-1'],
    passwordHash: 'scrypt$131072$8$1$rFBzTqX4VFzRJqhG3SAzug$cBdBTR8YYYgDSkUVQQLqas0yNw-ZxjjPsxv2E-6QQfo',
  },
  {
    username: 'admin',
    sub: 'staff-9001',
    displayName: '陈管理',
    hospitalRoles: ['administrator'],
    wards: [],
    passwordHash: 'scrypt$131072$8$1$A0HwaswIxG020KS5Va7Y3A$BJJY2cspVAwa_vd4AYFLoDUEVoBS8_d44DbgIpxpLLA',
  },
  {
    // Can sign in at the IdP but holds no Huizhen role: the workstation must refuse them.
    username: 'visitor',
    sub: 'staff-7001',
    displayName: '孙访客',
    hospitalRoles: ['visitor'],
    wards: [],
  },
];

/** The staff who may use Huizhen, as local accounts for `auth.localAccounts`. */
export function demoLocalAccounts(): LocalAccount[] {
  return DEMO_STAFF.flatMap((member) =>
    member.passwordHash === undefined
      ? []
      : [
          LocalAccountSchema.parse({
            username: member.username,
            displayName: member.displayName,
            passwordHash: member.passwordHash,
            roles: member.hospitalRoles.filter((role) => RoleSchema.safeParse(role).success),
            wards: [...member.wards],
            ...(member.practitionerId !== undefined ? { practitionerId: member.practitionerId } : {}),
          }),
        ],
  );
}

/** The claims the demo IdP releases for a member (OIDC standard claims + Huizhen's defaults). */
export function demoClaims(member: DemoStaffMember): Record<string, unknown> {
  return {
    sub: member.sub,
    name: member.displayName,
    preferred_username: member.username,
    huizhen_roles: [...member.hospitalRoles],
    huizhen_wards: [...member.wards],
    ...(member.practitionerId !== undefined ? { practitioner_id: member.practitionerId } : {}),
  };
}
