import { graphql } from '@/gql';

export const UsageFiguresFields = graphql(`
  fragment UsageFiguresFields on UsageFigures {
    machineHours
    coreHours
    memoryGiBHours
    diskGiBDays
    gpuHours
  }
`);

export const UsageReportQuery = graphql(`
  query UsageReport($organizationId: ID, $projectId: ID, $from: DateTimeISO!, $to: DateTimeISO!) {
    usageReport(organizationId: $organizationId, projectId: $projectId, from: $from, to: $to) {
      from
      to
      totals {
        ...UsageFiguresFields
      }
      projects {
        projectId
        name
        totals {
          ...UsageFiguresFields
        }
      }
    }
  }
`);

export const ReportOrganizationsQuery = graphql(`
  query ReportOrganizations {
    organizations(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);
