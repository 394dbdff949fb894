import { API_ROOT } from './api-version';
import type { OutputValue } from '@/sandbox/core/exact-json';
import { type FieldDefinition, type SObjectDefinition, SOBJECTS, isIdType, isNumericType } from './sobject-definitions';

/**
 * Describe results built from the field definitions: the subset of Salesforce's
 * DescribeSObjectResult / DescribeGlobalResult that clients read (names, types, lengths,
 * external ids, writability, nillability, references and picklist values).
 */

type JsonObject = { [key: string]: OutputValue };

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  boolean: 'xsd:boolean',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function objectUrls(definition: SObjectDefinition): JsonObject {
  const base = `${API_ROOT}/sobjects/${definition.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function objectSummary(definition: SObjectDefinition): JsonObject {
  return {
    name: definition.name,
    label: definition.label,
    labelPlural: definition.labelPlural,
    keyPrefix: definition.keyPrefix,
    custom: definition.custom,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    retrieveable: true,
    searchable: false,
    undeletable: false,
    layoutable: true,
    urls: objectUrls(definition),
  };
}

function describeField(field: FieldDefinition): JsonObject {
  const system = [
    'Id',
    'IsDeleted',
    'CreatedDate',
    'CreatedById',
    'LastModifiedDate',
    'LastModifiedById',
    'SystemModstamp',
  ];
  const calculated = !field.createable && !field.updateable && !system.includes(field.name);
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    soapType: SOAP_TYPES[field.type] ?? 'xsd:string',
    length:
      isNumericType(field.type) || field.type === 'boolean' || field.type.startsWith('date') ? 0 : (field.length ?? 0),
    precision: isNumericType(field.type) ? (field.precision ?? 18) : 0,
    scale: isNumericType(field.type) ? (field.scale ?? 0) : 0,
    digits: 0,
    custom: field.name.endsWith('__c'),
    externalId: field.externalId,
    unique: field.unique,
    idLookup: field.name === 'Id' || field.externalId,
    caseSensitive: false,
    nillable: !field.required && field.type !== 'boolean' && !system.includes(field.name),
    createable: field.createable,
    updateable: field.updateable,
    defaultedOnCreate: system.includes(field.name) || field.type === 'boolean' || field.name === 'CurrencyIsoCode',
    calculated,
    autoNumber: calculated && field.name === 'Name',
    filterable: true,
    sortable: field.type !== 'textarea',
    groupable: !isNumericType(field.type) && field.type !== 'datetime' && field.type !== 'textarea',
    nameField: field.name === 'Name',
    referenceTo: field.referenceTo ? [field.referenceTo] : [],
    relationshipName:
      field.relationshipName ?? (isIdType(field.type) && field.referenceTo ? field.name.replace(/Id$/, '') : null),
    restrictedPicklist: field.picklist?.restricted ?? false,
    picklistValues: (field.picklist?.values ?? []).map((value, i) => ({
      active: true,
      defaultValue: field.name === 'CurrencyIsoCode' && i === 0,
      label: value,
      validFor: null,
      value,
    })),
  };
}

export function describeSObject(definition: SObjectDefinition): JsonObject {
  return {
    ...objectSummary(definition),
    fields: definition.fields.map(describeField),
    childRelationships: Object.values(SOBJECTS).flatMap((child) =>
      child.fields
        .filter((f) => f.referenceTo === definition.name)
        .map((f) => ({ childSObject: child.name, field: f.name, cascadeDelete: false, relationshipName: null })),
    ),
    recordTypeInfos: [],
  };
}

export function describeGlobal(): JsonObject {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: Object.values(SOBJECTS).map(objectSummary) };
}

/** `GET /sobjects/{type}`: the object's summary and (always empty here) recent items. */
export function sobjectBasicInfo(definition: SObjectDefinition): JsonObject {
  return { objectDescribe: objectSummary(definition), recentItems: [] };
}
