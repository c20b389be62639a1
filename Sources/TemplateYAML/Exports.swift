// Reading and writing templates is done on the CloudFormation model.
@_exported import CloudFormation
