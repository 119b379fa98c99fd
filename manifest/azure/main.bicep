// Credit Desk in Azure: everything the product runs on, in one resource group.
//
//   az deployment group create -g <group> -f manifest/azure/main.bicep -p @manifest/azure/main.parameters.json
//
// - Storage account: the ledger table, the blob containers `imports` and `backups`, and the Functions
//   deployment container. HTTPS and TLS 1.2 only, no public blob access.
// - Function App on the Flex Consumption plan (Linux, Node 20, Functions runtime 4): the API and the timers.
// - Static Web App: the tab (index.html) and the Outlook pane (pane.html) from dist/web; the security
//   headers come from staticwebapp.config.json in that folder (src/public/ in the repository).
// - A user-assigned managed identity for the Function App: the Functions host's storage, Key Vault
//   references and (by default) Microsoft Graph. Graph permissions are granted to it after deployment
//   (README, "Deploying to Azure").
// - Key Vault: the ledger's storage connection string, with graphIdentity = 'clientSecret' the app
//   registration's client secret, and the APS app's secret when one is given (apsClientId); the app
//   settings only hold Key Vault references. The API keeps Autodesk's tokens there too, at run time.
// - Log Analytics workspace + Application Insights.
//
// The app settings are exactly the names server/config.ts and server/adapters/graph/graph-config.ts read;
// tests/unit/deploy/infra.test.ts checks them against the server source. CREDIT_DESK_DEV_MODE is never set here.

targetScope = 'resourceGroup'

@description('Region of everything but the Static Web App. Must offer the Flex Consumption plan: az functionapp list-flexconsumption-locations -o table')
param location string = resourceGroup().location

@description('Region of the Static Web App (a global CDN serves it; this is where its control plane lives).')
@allowed([
  'westus2'
  'centralus'
  'eastus2'
  'westeurope'
  'eastasia'
])
param staticSiteLocation string = 'westeurope'

@description('Short lower-case prefix of every resource name (letters and digits).')
@minLength(3)
@maxLength(10)
param namePrefix string = 'creditdesk'

@description('Application (client) ID of the Credit Desk app registration in Microsoft Entra ID. The API accepts v2 access tokens whose audience is this id.')
@minLength(36)
@maxLength(36)
param appClientId string

@description('Tenant ids whose people may use Credit Desk, comma separated (CREDIT_DESK_ALLOWED_TENANTS).')
param allowedTenants string = subscription().tenantId

@description('The ledger table (CREDIT_DESK_TABLE).')
@minLength(3)
@maxLength(63)
param tableName string = 'creditdesk'

@description('Where the Teams channel cards and notifications link to (CREDIT_DESK_TAB_URL). Best: the Teams deep link https://teams.microsoft.com/l/entity/<Teams app id>/creditdesk. Empty: the Static Web App address.')
param tabUrl string = ''

@description('When the usagePull timer pulls usage from the connected Autodesk usage APIs (CREDIT_DESK_USAGE_PULL_SCHEDULE), as NCRONTAB in UTC: second minute hour day month day-of-week. Daily at 04:00 UTC by default.')
param usagePullSchedule string = '0 0 4 * * *'

@description('How the backend reaches Microsoft Graph: the managed identity (no secret), the app registration with a client secret kept in Key Vault, or not at all (no directory, no message trace, no notifications).')
@allowed([
  'managedIdentity'
  'clientSecret'
  'none'
])
param graphIdentity string = 'managedIdentity'

@description('Client secret of the app registration; only with graphIdentity = clientSecret. Stored in Key Vault, never in an app setting.')
@secure()
param graphClientSecret string = ''

@description('Client ID of the deployment\'s APS app (Autodesk Platform Services, a Traditional Web App) through which an Autodesk admin consents to Credit Desk reading usage (CREDIT_DESK_APS_CLIENT_ID). Empty: Autodesk connects only with a firm\'s own client ID and secret (2-legged, by arrangement with Autodesk).')
param apsClientId string = ''

@description('Client secret of that APS app; only with apsClientId. Stored in Key Vault, never in an app setting.')
@secure()
param apsClientSecret string = ''

@description('The callback URL registered with the APS app (CREDIT_DESK_APS_CALLBACK_URL). Empty: the Function App\'s own https://<host>/api/usage/sources/autodesk/callback.')
param apsCallbackUrl string = ''

@description('Further https origins the pages are served from (a custom domain of the Static Web App), allowed by CORS.')
param extraWebOrigins array = []

@description('Static Web App plan. Free is enough: the pages call the Function App directly.')
@allowed([
  'Free'
  'Standard'
])
param staticSiteSku string = 'Free'

@description('Redundancy of the ledger storage account. Use Standard_LRS in a region without availability zones.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_ZRS'

@description('Node.js major version of the Functions worker.')
@allowed([
  '20'
])
param nodeVersion string = '20'

@description('Flex Consumption scale-out limit. Low on purpose: postings to one tenant share one table partition and are group-committed per instance.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each Functions instance (MB).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

param tags object = {
  app: 'credit-desk'
}

var token = uniqueString(subscription().id, resourceGroup().id)
var compactPrefix = toLower(replace(namePrefix, '-', ''))
var storageAccountName = take('${compactPrefix}${token}', 24)
var keyVaultName = take('kv${compactPrefix}${token}', 24)
var functionAppName = '${namePrefix}-api-${token}'
var planName = '${namePrefix}-plan-${token}'
var staticSiteName = '${namePrefix}-web-${token}'
var identityName = '${namePrefix}-id-${token}'
var logAnalyticsName = '${namePrefix}-logs-${token}'
var appInsightsName = '${namePrefix}-appi-${token}'

var deploymentContainerName = 'app-package'
var blobContainerNames = [
  deploymentContainerName
  'imports'
  'backups'
]
var storageSecretName = 'storage-connection-string'
var graphSecretName = 'graph-client-secret'
var apsSecretName = 'aps-client-secret'

// Built-in role definitions.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

// ---------------------------------------------------------------------------------------------- identity

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

// --------------------------------------------------------------------------------------------- storage

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The ledger connects with a connection string (CREDIT_DESK_STORAGE), which needs the account key.
    allowSharedKeyAccess: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for containerName in blobContainerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource ledgerTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: tableName
}

// The Functions host (timers' leases, deployment package) uses the storage account through the identity.
resource storageBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource storageQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ------------------------------------------------------------------------------------------- key vault

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource storageSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: storageSecretName
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

resource graphSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (graphIdentity == 'clientSecret') {
  parent: vault
  name: graphSecretName
  properties: {
    value: graphClientSecret
  }
}

resource apsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(apsClientId)) {
  parent: vault
  name: apsSecretName
  properties: {
    value: apsClientSecret
  }
}

resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The API writes, rotates and deletes Autodesk's secrets (refresh tokens, 2-legged client secrets) at run
// time: Officer rather than User, on this vault only.
resource vaultSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------- monitoring

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

// --------------------------------------------------------------------------------- static web app

resource staticSite 'Microsoft.Web/staticSites@2023-12-01' = {
  name: staticSiteName
  location: staticSiteLocation
  tags: tags
  sku: {
    name: staticSiteSku
    tier: staticSiteSku
  }
  properties: {
    // Deployed from dist/web with its deployment token (swa deploy), not from a repository.
    stagingEnvironmentPolicy: 'Disabled'
    allowConfigFileUpdates: true
  }
}

var webOrigin = 'https://${staticSite.properties.defaultHostname}'

// ------------------------------------------------------------------------------------- function app

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2023-12-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      // Only the pages call the API, from the Static Web App's origin (Teams and Outlook never call it).
      cors: {
        allowedOrigins: concat([webOrigin], extraWebOrigins)
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }
  dependsOn: [
    blobContainers
    storageBlobOwner
    storageQueueContributor
    vaultSecretsUser
    vaultSecretsOfficer
  ]
}

// The names below are the server's (server/config.ts, server/adapters/graph/graph-config.ts). Flex
// Consumption takes the runtime and its version from functionAppConfig above: FUNCTIONS_WORKER_RUNTIME,
// FUNCTIONS_EXTENSION_VERSION, WEBSITE_NODE_DEFAULT_VERSION and linuxFxVersion are not allowed there.
var hostSettings = {
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
}

var ledgerSettings = {
  CREDIT_DESK_STORAGE: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${storageSecretName})'
  CREDIT_DESK_TABLE: tableName
  CREDIT_DESK_AUDIENCE: appClientId
  CREDIT_DESK_ALLOWED_TENANTS: allowedTenants
  CREDIT_DESK_TAB_URL: empty(tabUrl) ? '${webOrigin}/' : tabUrl
  CREDIT_DESK_KEY_VAULT_URL: vault.properties.vaultUri
  CREDIT_DESK_KEY_VAULT_CLIENT_ID: identity.properties.clientId
  // The usagePull timer's schedule is read from this setting (%CREDIT_DESK_USAGE_PULL_SCHEDULE%): it must be set.
  CREDIT_DESK_USAGE_PULL_SCHEDULE: usagePullSchedule
  // The APS app for an admin's consent: all three, or an empty id (then the server offers 2-legged only).
  CREDIT_DESK_APS_CLIENT_ID: apsClientId
  CREDIT_DESK_APS_CLIENT_SECRET: empty(apsClientId) ? '' : '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${apsSecretName})'
  CREDIT_DESK_APS_CALLBACK_URL: empty(apsCallbackUrl) ? 'https://${functionApp.properties.defaultHostName}/api/usage/sources/autodesk/callback' : apsCallbackUrl
}

var graphSettingsByIdentity = {
  managedIdentity: {
    CREDIT_DESK_GRAPH_MANAGED_IDENTITY: '1'
    CREDIT_DESK_GRAPH_CLIENT_ID: identity.properties.clientId
  }
  clientSecret: {
    CREDIT_DESK_GRAPH_TENANT_ID: subscription().tenantId
    CREDIT_DESK_GRAPH_CLIENT_ID: appClientId
    CREDIT_DESK_GRAPH_CLIENT_SECRET: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${graphSecretName})'
  }
  none: {}
}

resource functionAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(hostSettings, ledgerSettings, graphSettingsByIdentity[graphIdentity])
  dependsOn: [
    storageSecret
    graphSecret
    apsSecret
    ledgerTable
  ]
}

// ---------------------------------------------------------------------------------------------- outputs

output functionAppName string = functionApp.name
output functionAppHostName string = functionApp.properties.defaultHostName
@description('For the Microsoft 365 Agents Toolkit\'s deploy (m365agents.yml).')
output functionAppResourceId string = functionApp.id
output staticSiteName string = staticSite.name
output staticSiteHostName string = staticSite.properties.defaultHostname
@description('For the Microsoft 365 Agents Toolkit\'s deploy (m365agents.yml).')
output staticSiteResourceId string = staticSite.id
output storageAccountName string = storage.name
output keyVaultName string = vault.name
@description('Object id of the managed identity\'s service principal: grant it the Graph application permissions (README).')
output graphIdentityPrincipalId string = identity.properties.principalId
output graphIdentityClientId string = identity.properties.clientId
