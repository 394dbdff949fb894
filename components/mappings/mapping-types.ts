import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

type Outputs = inferRouterOutputs<AppRouter>['mappings'];
export type MappingOverviewView = Outputs['overview'];
export type MappingScopeView = MappingOverviewView['scopes'][number];
export type ValueMapView = MappingOverviewView['active'][number];
export type MappingProblemView = Extract<Outputs['saveDraft'], { saved: false }>['problems'][number];
export type MappingChangeView = NonNullable<Outputs['draftChanges']>[number];
export type MappingPreviewView = Outputs['preview'];
export type PublishedView = Outputs['publishDraft'];
export type AffectedDryRunView = Outputs['dryRunAffected'];

export const scopeKey = (scope: { connectionId: string; legalEntityId: string }) =>
  `${scope.connectionId}/${scope.legalEntityId}`;
export type FieldMapView = MappingOverviewView['activeFieldMaps'][number];
export type FieldTransformView = FieldMapView['transforms'][number];
export type FieldMapProblemView = Extract<Outputs['saveDraft'], { saved: false }>['fieldMapProblems'][number];
export type FieldMapChangeView = NonNullable<MappingOverviewView['draftFieldMapChanges']>[number];
export type SourceRecordView = MappingOverviewView['sources'][number];
