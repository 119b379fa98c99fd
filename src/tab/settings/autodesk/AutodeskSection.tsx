import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Spinner, Text } from '@fluentui/react-components';
import { LinkRegular, PlugDisconnectedRegular } from '@fluentui/react-icons';
import { useRef, useState } from 'react';
import type { UsageConnection } from '../../../contract/usage-sources.js';
import { ApiErrorBar } from '../../../ui/ApiErrorBar.js';
import { formatDateTime } from '../../../ui/format.js';
import { useAction } from '../../../ui/useAction.js';
import { useApi } from '../../../ui/useApi.js';
import { useApp } from '../../app-context.js';
import { Section } from '../sections/Section.js';
import type { AuthMode, UsageSourceKind } from './autodesk-words.js';
import { isFlexMode } from '../../../core/policy/policy.js';
import { DISCONNECTED_FIX, FLEX_TOKENS_FIRST, KIND_WORDS, MODE_WORDS } from './autodesk-words.js';
import type { ConsentWindow } from './consent-window.js';
import { openConsentWindow } from './consent-window.js';

/**
 * Connecting Autodesk's usage APIs (issue 21): which API, how (an admin's consent by default, a client ID
 * and secret by arrangement with Autodesk), and each connection's state. Its own card beside the form:
 * nothing here waits for Save. A secret typed here goes to the API once and is never shown again.
 */
export function AutodeskSection() {
  const { api } = useApp();
  const loaded = useApi((signal) => api('usageConnections', { signal }), [api]);
  return (
    <Section title="Autodesk" description="Usage arrives from Autodesk by itself once an Autodesk usage API is connected.">
      {loaded.error && !loaded.data ? <ApiErrorBar error={loaded.error} title="Could not load the Autodesk connections" onRetry={loaded.reload} /> : null}
      {!loaded.data && !loaded.error ? <Spinner size="tiny" label="Loading the Autodesk connections…" /> : null}
      {loaded.data ? (
        <>
          {loaded.data.connections.map((connection) => (
            <ConnectionCard key={connection.kind} connection={connection} onChanged={loaded.reload} />
          ))}
          <ConnectForm consentAvailable={loaded.data.consentAvailable} onChanged={loaded.reload} />
        </>
      ) : null}
    </Section>
  );
}

function ConnectionCard({ connection, onChanged }: { connection: UsageConnection; onChanged: () => void }) {
  const { api } = useApp();
  const disconnect = useAction(async (idempotencyKey) => {
    await api('disconnectUsageSource', { params: { kind: connection.kind }, idempotencyKey });
    onChanged();
  });
  const kind = KIND_WORDS[connection.kind].label;
  return (
    <div role="group" aria-label={kind}>
      {connection.disconnected ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Autodesk disconnected</MessageBarTitle>
            {kind}, since {formatDateTime(connection.disconnected.at)}. {DISCONNECTED_FIX} Connect again below.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>{kind} connected</MessageBarTitle>
            By {connection.connectedBy} on {formatDateTime(connection.connectedAt)}, with {connection.mode === 'three_legged' ? "an admin's consent" : 'a client ID and secret'}.
            {connection.contractNumber ? ` Contract ${connection.contractNumber}.` : ''}
          </MessageBarBody>
        </MessageBar>
      )}
      <Button icon={disconnect.busy ? <Spinner size="tiny" /> : <PlugDisconnectedRegular />} disabled={disconnect.busy} onClick={() => void disconnect.run()}>
        Disconnect {kind}
      </Button>
      {disconnect.error ? <ApiErrorBar error={disconnect.error} title="Not disconnected" onRetry={() => void disconnect.run()} /> : null}
    </div>
  );
}

function ConnectForm({ consentAvailable, onChanged }: { consentAvailable: boolean; onChanged: () => void }) {
  const { api, host, settings } = useApp();
  // The saved policy (the shell's copy follows each save): the server refuses to connect a Cloud Credits tenant.
  const countsTokens = isFlexMode(settings);
  const [kind, setKind] = useState<UsageSourceKind>('token_flex');
  const [mode, setMode] = useState<AuthMode>('three_legged');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const opened = useRef<ConsentWindow>(undefined);

  const connect = useAction(async (idempotencyKey) => {
    if (mode === 'two_legged') {
      await api('putUsageSourceClient', { params: { kind }, body: { clientId: clientId.trim(), clientSecret }, idempotencyKey });
      setClientSecret('');
      onChanged();
      return;
    }
    const consentWindow = opened.current ?? openConsentWindow(host);
    try {
      const started = await api('connectUsageSource', { params: { kind } });
      await consentWindow.go(started.authorizeUrl);
    } catch (error) {
      consentWindow.cancel();
      throw error;
    } finally {
      opened.current = undefined;
    }
    onChanged();
  });

  // The pop-up opens in the click itself: a browser blocks one opened after the API has answered.
  const onConnect = () => {
    if (mode === 'three_legged' && !connect.busy) opened.current = openConsentWindow(host);
    void connect.run();
  };

  return (
    <div role="group" aria-label="Connect an Autodesk usage API">
      {countsTokens ? null : (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Flex tokens first</MessageBarTitle>
            {FLEX_TOKENS_FIRST}
          </MessageBarBody>
        </MessageBar>
      )}
      <Field label="Which Autodesk API">
        <RadioGroup value={kind} onChange={(_e, data) => setKind(data.value as UsageSourceKind)}>
          {(Object.keys(KIND_WORDS) as UsageSourceKind[]).map((k) => (
            <Radio key={k} value={k} label={`${KIND_WORDS[k].label}: ${KIND_WORDS[k].hint}`} />
          ))}
        </RadioGroup>
      </Field>
      <Field label="How Credit Desk signs in to Autodesk">
        <RadioGroup value={mode} onChange={(_e, data) => setMode(data.value as AuthMode)}>
          {(Object.keys(MODE_WORDS) as AuthMode[]).map((m) => (
            <Radio key={m} value={m} label={`${MODE_WORDS[m].label}: ${MODE_WORDS[m].hint}`} disabled={m === 'three_legged' && !consentAvailable} />
          ))}
        </RadioGroup>
      </Field>
      {mode === 'three_legged' && !consentAvailable ? (
        <Text>This Credit Desk has no Autodesk app for an admin's consent yet: whoever deployed it adds one (see the README), or use a client ID and secret.</Text>
      ) : null}
      {mode === 'two_legged' ? (
        <>
          <Field label="Client ID" required>
            <Input value={clientId} onChange={(_e, data) => setClientId(data.value)} autoComplete="off" />
          </Field>
          <Field label="Client secret" required hint="Kept in Azure Key Vault; Credit Desk never shows it again.">
            <Input type="password" value={clientSecret} onChange={(_e, data) => setClientSecret(data.value)} autoComplete="new-password" />
          </Field>
        </>
      ) : null}
      <Button
        appearance="primary"
        icon={connect.busy ? <Spinner size="tiny" /> : <LinkRegular />}
        disabledFocusable={connect.busy || !countsTokens || (mode === 'two_legged' ? !clientId.trim() || !clientSecret : !consentAvailable)}
        onClick={onConnect}
      >
        {connect.busy ? 'Connecting…' : `Connect ${KIND_WORDS[kind].label}`}
      </Button>
      {connect.error ? <ApiErrorBar error={connect.error} title="Autodesk is not connected" onRetry={onConnect} /> : null}
    </div>
  );
}
