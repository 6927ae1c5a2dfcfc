export { startDemoIdentityProvider, type DemoIdentityProvider, type DemoIdentityProviderOptions } from './identity-provider.ts';
export { DEMO_CLIENT_ID, DEMO_PASSWORD, DEMO_STAFF, demoClaims, demoLocalAccounts, type DemoStaffMember } from './demo-users.ts';
