// The framework floor: NestJS 12 on Fastify (the service's own versions, from the repo's
// node_modules) with one POST route that takes the parsed body and answers a constant. No
// guard, pipe, interceptor, store or crypto: what any Nest endpoint on this machine costs.
import 'reflect-metadata';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

class FloorController {
  create(body) {
    return { id: 'cu_constant', object: 'customer', full_name: body.full_name };
  }
}
Body()(FloorController.prototype, 'create', 0);
Post('customers')(FloorController.prototype, 'create', Object.getOwnPropertyDescriptor(FloorController.prototype, 'create'));
Controller('v1')(FloorController);

class FloorModule {}
Module({ controllers: [FloorController] })(FloorModule);

const app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');
console.log('listening');
