/** People in the firm's directory (Microsoft Graph in production; demo users locally). */
export interface DirectoryPerson {
  id: string;
  email: string;
  displayName: string;
  office?: string;
}

export interface Directory {
  findByEmail(tenant: string, email: string): Promise<DirectoryPerson | undefined>;
}
